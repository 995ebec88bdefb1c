-- 001_initial.sql: the OnQuota schema of data.md (enums, tables, constraints, indexes).
--
-- Names follow the original OnQuota models so that an existing database keeps
-- working. schema_migrations is created by migrate.c before this file runs.
-- This file runs inside one transaction; never edit it once released: add
-- 002_*.sql instead (the checksum check refuses changed files).

-- Enums ----------------------------------------------------------------------

CREATE TYPE user_role AS ENUM ('super_admin', 'admin', 'sales_rep', 'supervisor', 'analyst');
CREATE TYPE client_type AS ENUM ('individual', 'company');
CREATE TYPE industry AS ENUM (
    'technology', 'healthcare', 'finance', 'retail', 'manufacturing',
    'education', 'real_estate', 'hospitality', 'transportation', 'energy',
    'agriculture', 'construction', 'consulting', 'other');
CREATE TYPE client_status AS ENUM ('lead', 'prospect', 'active', 'inactive', 'lost');
CREATE TYPE sale_status AS ENUM ('draft', 'sent', 'accepted', 'rejected', 'expired');
CREATE TYPE expense_status AS ENUM ('pending', 'approved', 'rejected');
CREATE TYPE vehicle_type AS ENUM ('car', 'van', 'truck', 'motorcycle', 'other');
CREATE TYPE vehicle_status AS ENUM ('active', 'maintenance', 'inactive');
CREATE TYPE token_kind AS ENUM ('session', 'api');

-- updated_at maintenance ------------------------------------------------------

-- Bumps updated_at on every UPDATE that does not set it itself, so that tools
-- writing plain UPDATEs keep it truthful.
CREATE FUNCTION onquota_touch_updated_at() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.updated_at IS NOT DISTINCT FROM OLD.updated_at THEN
        NEW.updated_at := now();
    END IF;
    RETURN NEW;
END;
$$;

-- Tables ---------------------------------------------------------------------

CREATE TABLE tenants (
    id                uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    company_name      text NOT NULL,
    domain            text UNIQUE,
    is_active         boolean NOT NULL DEFAULT true,
    settings          jsonb NOT NULL DEFAULT '{}',
    subscription_plan text NOT NULL DEFAULT 'free',
    created_at        timestamptz NOT NULL DEFAULT now(),
    updated_at        timestamptz NOT NULL DEFAULT now(),
    is_deleted        boolean NOT NULL DEFAULT false,
    deleted_at        timestamptz
);

CREATE TABLE users (
    id              uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id       uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    email           text NOT NULL UNIQUE,
    hashed_password text NOT NULL,
    full_name       text NOT NULL,
    role            user_role NOT NULL DEFAULT 'sales_rep',
    is_active       boolean NOT NULL DEFAULT true,
    last_login      timestamptz,
    created_at      timestamptz NOT NULL DEFAULT now(),
    updated_at      timestamptz NOT NULL DEFAULT now(),
    is_deleted      boolean NOT NULL DEFAULT false,
    deleted_at      timestamptz
);

CREATE TABLE clients (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    name        varchar(255) NOT NULL,
    client_type client_type NOT NULL DEFAULT 'company',
    email       varchar(255),
    phone       varchar(50),
    website     varchar(255),
    city        varchar(100),
    country     varchar(100),
    industry    industry,
    status      client_status NOT NULL DEFAULT 'lead',
    notes       text,
    tags        varchar(500),
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_deleted  boolean NOT NULL DEFAULT false,
    deleted_at  timestamptz
);

CREATE TABLE quotes (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    client_id    uuid NOT NULL REFERENCES clients,
    sales_rep_id uuid NOT NULL REFERENCES users,
    quote_number varchar(50) NOT NULL,
    total_amount numeric(12,2) NOT NULL,
    currency     char(3) NOT NULL DEFAULT 'USD',
    status       sale_status NOT NULL DEFAULT 'draft',
    valid_until  date NOT NULL,
    notes        text,
    sent_at      timestamptz,
    accepted_at  timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now(),
    is_deleted   boolean NOT NULL DEFAULT false,
    deleted_at   timestamptz,
    CONSTRAINT quotes_tenant_number_key UNIQUE (tenant_id, quote_number)
);

CREATE TABLE quote_items (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    quote_id         uuid NOT NULL REFERENCES quotes ON DELETE CASCADE,
    product_name     varchar(255) NOT NULL,
    description      text,
    quantity         numeric(10,2) NOT NULL CHECK (quantity > 0),
    unit_price       numeric(12,2) NOT NULL CHECK (unit_price >= 0),
    discount_percent numeric(5,2) NOT NULL DEFAULT 0
                     CHECK (discount_percent BETWEEN 0 AND 100),
    -- round(quantity * unit_price * (1 - discount_percent / 100), 2), filled
    -- by the daemon (and the seed); not a generated column on purpose.
    subtotal         numeric(12,2),
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE expense_categories (
    id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id   uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    name        varchar(100) NOT NULL,
    description text,
    icon        varchar(50),
    color       char(7),
    is_active   boolean NOT NULL DEFAULT true,
    created_at  timestamptz NOT NULL DEFAULT now(),
    updated_at  timestamptz NOT NULL DEFAULT now(),
    is_deleted  boolean NOT NULL DEFAULT false,
    deleted_at  timestamptz
);

CREATE TABLE expenses (
    id               uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id        uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    user_id          uuid NOT NULL REFERENCES users,
    category_id      uuid REFERENCES expense_categories ON DELETE SET NULL,
    amount           numeric(12,2) NOT NULL CHECK (amount > 0),
    currency         char(3) NOT NULL DEFAULT 'USD',
    description      text NOT NULL,
    date             date NOT NULL,
    status           expense_status NOT NULL DEFAULT 'pending',
    approved_by      uuid REFERENCES users ON DELETE SET NULL,
    approved_at      timestamptz,
    rejection_reason text,
    vendor_name      varchar(255),
    receipt_number   varchar(100),
    notes            text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    is_deleted       boolean NOT NULL DEFAULT false,
    deleted_at       timestamptz
);

CREATE TABLE quotas (
    id            uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id     uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    user_id       uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    year          integer NOT NULL CHECK (year BETWEEN 2000 AND 2100),
    month         integer NOT NULL CHECK (month BETWEEN 1 AND 12),
    target_amount numeric(12,2) NOT NULL CHECK (target_amount > 0),
    created_at    timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    CONSTRAINT quotas_tenant_user_period_key UNIQUE (tenant_id, user_id, year, month)
);

CREATE TABLE vehicles (
    id                 uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id          uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    plate_number       varchar(20) NOT NULL,
    brand              varchar(100),
    model              varchar(100),
    year               integer,
    vehicle_type       vehicle_type NOT NULL DEFAULT 'car',
    status             vehicle_status NOT NULL DEFAULT 'active',
    assigned_driver_id uuid REFERENCES users ON DELETE SET NULL,
    mileage_km         numeric(10,2),
    created_at         timestamptz NOT NULL DEFAULT now(),
    updated_at         timestamptz NOT NULL DEFAULT now(),
    is_deleted         boolean NOT NULL DEFAULT false,
    deleted_at         timestamptz
);

CREATE TABLE auth_tokens (
    id           uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    tenant_id    uuid NOT NULL REFERENCES tenants ON DELETE CASCADE,
    user_id      uuid NOT NULL REFERENCES users ON DELETE CASCADE,
    name         text,
    kind         token_kind NOT NULL DEFAULT 'session',
    token_hash   bytea NOT NULL UNIQUE,   -- SHA-256 of the token; the token is never stored
    expires_at   timestamptz,             -- null: never expires (API tokens only)
    last_used_at timestamptz,
    revoked_at   timestamptz,
    created_at   timestamptz NOT NULL DEFAULT now(),
    updated_at   timestamptz NOT NULL DEFAULT now()
);

-- Indexes --------------------------------------------------------------------
-- They lead with tenant_id and match the dashboard and list queries; the rest
-- serve foreign-key lookups (deletes, cascades) and the background jobs.

CREATE INDEX users_tenant_role_idx ON users (tenant_id, role);

CREATE INDEX clients_tenant_status_idx ON clients (tenant_id, status);
CREATE INDEX clients_tenant_created_idx ON clients (tenant_id, created_at);
CREATE INDEX clients_tenant_name_idx ON clients (tenant_id, name);

CREATE INDEX quotes_tenant_status_created_idx ON quotes (tenant_id, status, created_at);
CREATE INDEX quotes_tenant_rep_status_created_idx
    ON quotes (tenant_id, sales_rep_id, status, created_at);
CREATE INDEX quotes_tenant_created_idx ON quotes (tenant_id, created_at);
-- Recent activity: newest acceptances.
CREATE INDEX quotes_tenant_accepted_idx ON quotes (tenant_id, accepted_at)
    WHERE accepted_at IS NOT NULL;
CREATE INDEX quotes_client_idx ON quotes (client_id);
-- Quote expiry job: sent quotes past valid_until, across tenants.
CREATE INDEX quotes_sent_valid_until_idx ON quotes (valid_until) WHERE status = 'sent';

CREATE INDEX quote_items_quote_idx ON quote_items (quote_id);

CREATE UNIQUE INDEX expense_categories_tenant_name_key
    ON expense_categories (tenant_id, name) WHERE NOT is_deleted;

CREATE INDEX expenses_tenant_status_date_idx ON expenses (tenant_id, status, date);
CREATE INDEX expenses_tenant_date_idx ON expenses (tenant_id, date);
-- Recent activity: newest approvals.
CREATE INDEX expenses_tenant_approved_idx ON expenses (tenant_id, approved_at)
    WHERE approved_at IS NOT NULL;
CREATE INDEX expenses_category_idx ON expenses (category_id);

CREATE INDEX quotas_tenant_period_idx ON quotas (tenant_id, year, month);

CREATE INDEX vehicles_tenant_created_idx ON vehicles (tenant_id, created_at);

-- Token lookups by hash use the unique index on token_hash. These serve
-- "list my tokens", "revoke all of a user's tokens" and the FK cascade, and
-- the cleanup job (tokens past expiry that are still live).
CREATE INDEX auth_tokens_user_idx ON auth_tokens (user_id, created_at);
CREATE INDEX auth_tokens_live_expiry_idx ON auth_tokens (expires_at)
    WHERE revoked_at IS NULL;
CREATE INDEX auth_tokens_revoked_idx ON auth_tokens (revoked_at)
    WHERE revoked_at IS NOT NULL;

-- Triggers -------------------------------------------------------------------

CREATE TRIGGER tenants_touch BEFORE UPDATE ON tenants
    FOR EACH ROW EXECUTE FUNCTION onquota_touch_updated_at();
CREATE TRIGGER users_touch BEFORE UPDATE ON users
    FOR EACH ROW EXECUTE FUNCTION onquota_touch_updated_at();
CREATE TRIGGER clients_touch BEFORE UPDATE ON clients
    FOR EACH ROW EXECUTE FUNCTION onquota_touch_updated_at();
CREATE TRIGGER quotes_touch BEFORE UPDATE ON quotes
    FOR EACH ROW EXECUTE FUNCTION onquota_touch_updated_at();
CREATE TRIGGER quote_items_touch BEFORE UPDATE ON quote_items
    FOR EACH ROW EXECUTE FUNCTION onquota_touch_updated_at();
CREATE TRIGGER expense_categories_touch BEFORE UPDATE ON expense_categories
    FOR EACH ROW EXECUTE FUNCTION onquota_touch_updated_at();
CREATE TRIGGER expenses_touch BEFORE UPDATE ON expenses
    FOR EACH ROW EXECUTE FUNCTION onquota_touch_updated_at();
CREATE TRIGGER quotas_touch BEFORE UPDATE ON quotas
    FOR EACH ROW EXECUTE FUNCTION onquota_touch_updated_at();
CREATE TRIGGER vehicles_touch BEFORE UPDATE ON vehicles
    FOR EACH ROW EXECUTE FUNCTION onquota_touch_updated_at();
CREATE TRIGGER auth_tokens_touch BEFORE UPDATE ON auth_tokens
    FOR EACH ROW EXECUTE FUNCTION onquota_touch_updated_at();
