-- 004: rollup tables for the dashboard, kept exact by triggers in the same transaction as every
-- write, so that a dashboard miss reads a bounded number of rows (at most one per day or month
-- and series) whatever the history holds.
--
-- They live in their own schema, rollup: derived data, written only by the triggers below and
-- by rollup.rebuild() ("onquotad rollup --rebuild"). Soft-deleted rows count nowhere (data.md).
-- Quote and client days are calendar days in rollup.settings.zone, which the daemon keeps equal
-- to its configured time zone (it rebuilds at start when they differ); expenses go by date.
-- Months are the first day of the month.
--
-- The triggers are statement-level with transition tables: one statement's rows become
-- deltas (+1 per new row image, -1 per old one), aggregated per key and applied in key order,
-- table after table in a fixed order, so that concurrent writers lock rollup rows in the same
-- order (no deadlocks) and a bulk COPY costs one aggregate. Keys whose delta nets to zero (an
-- edit that touches no rolled-up column) are not written at all. Rows that fall to zero stay
-- as zeros; readers and --verify ignore them.

CREATE SCHEMA rollup;

CREATE TABLE rollup.settings (
    only_row boolean PRIMARY KEY DEFAULT true CHECK (only_row),
    zone     text NOT NULL
);
INSERT INTO rollup.settings (zone) VALUES ('UTC');

CREATE FUNCTION rollup.zone() RETURNS text
LANGUAGE sql STABLE AS $$ SELECT zone FROM rollup.settings $$;

-- Quotes by tenant, status, local creation day and sales rep: revenue (accepted),
-- the conversion counts (sent, accepted) and quota attainment per rep.
CREATE TABLE rollup.quotes_daily (
    tenant_id    uuid NOT NULL,
    status       sale_status NOT NULL,
    day          date NOT NULL,
    sales_rep_id uuid NOT NULL,
    n            bigint NOT NULL,
    total        numeric NOT NULL,
    PRIMARY KEY (tenant_id, status, day, sales_rep_id)
);

-- Quotes by tenant, status and local creation month: whole months and years.
CREATE TABLE rollup.quotes_monthly (
    tenant_id uuid NOT NULL,
    status    sale_status NOT NULL,
    month     date NOT NULL,
    n         bigint NOT NULL,
    total     numeric NOT NULL,
    PRIMARY KEY (tenant_id, status, month)
);

-- Expenses by tenant, status, date and category (NULL: none).
CREATE TABLE rollup.expenses_daily (
    tenant_id   uuid NOT NULL,
    status      expense_status NOT NULL,
    day         date NOT NULL,
    category_id uuid,
    n           bigint NOT NULL,
    total       numeric NOT NULL,
    CONSTRAINT expenses_daily_key UNIQUE NULLS NOT DISTINCT (tenant_id, status, day, category_id)
);

-- Expenses by tenant, status, month of their date and category (NULL: none).
CREATE TABLE rollup.expenses_monthly (
    tenant_id   uuid NOT NULL,
    status      expense_status NOT NULL,
    month       date NOT NULL,
    category_id uuid,
    n           bigint NOT NULL,
    total       numeric NOT NULL,
    CONSTRAINT expenses_monthly_key UNIQUE NULLS NOT DISTINCT (tenant_id, status, month, category_id)
);

-- Expenses by tenant and status, whatever the date (pending approvals).
CREATE TABLE rollup.expenses_status (
    tenant_id uuid NOT NULL,
    status    expense_status NOT NULL,
    n         bigint NOT NULL,
    PRIMARY KEY (tenant_id, status)
);

-- Clients by tenant and local creation day (new clients).
CREATE TABLE rollup.clients_daily (
    tenant_id uuid NOT NULL,
    day       date NOT NULL,
    n         bigint NOT NULL,
    PRIMARY KEY (tenant_id, day)
);

-- Clients by tenant and status (active clients).
CREATE TABLE rollup.clients_status (
    tenant_id uuid NOT NULL,
    status    client_status NOT NULL,
    n         bigint NOT NULL,
    PRIMARY KEY (tenant_id, status)
);

-- What each rollup must hold, computed from the base tables: the backfill below,
-- rollup.rebuild() and "onquotad rollup --verify" read these.
CREATE VIEW rollup.quotes_daily_expected AS
    SELECT x.tenant_id AS tenant_id, x.status AS status, (x.created_at AT TIME ZONE s.zone)::date AS day, x.sales_rep_id AS sales_rep_id, count(*) AS n, sum(x.total_amount) AS total
    FROM rollup.settings s, quotes x WHERE NOT x.is_deleted GROUP BY 1, 2, 3, 4;

CREATE VIEW rollup.quotes_monthly_expected AS
    SELECT x.tenant_id AS tenant_id, x.status AS status, date_trunc('month', x.created_at AT TIME ZONE s.zone)::date AS month, count(*) AS n, sum(x.total_amount) AS total
    FROM rollup.settings s, quotes x WHERE NOT x.is_deleted GROUP BY 1, 2, 3;

CREATE VIEW rollup.expenses_daily_expected AS
    SELECT x.tenant_id AS tenant_id, x.status AS status, x.date AS day, x.category_id AS category_id, count(*) AS n, sum(x.amount) AS total
    FROM expenses x WHERE NOT x.is_deleted GROUP BY 1, 2, 3, 4;

CREATE VIEW rollup.expenses_monthly_expected AS
    SELECT x.tenant_id AS tenant_id, x.status AS status, date_trunc('month', x.date)::date AS month, x.category_id AS category_id, count(*) AS n, sum(x.amount) AS total
    FROM expenses x WHERE NOT x.is_deleted GROUP BY 1, 2, 3, 4;

CREATE VIEW rollup.expenses_status_expected AS
    SELECT x.tenant_id AS tenant_id, x.status AS status, count(*) AS n
    FROM expenses x WHERE NOT x.is_deleted GROUP BY 1, 2;

CREATE VIEW rollup.clients_daily_expected AS
    SELECT x.tenant_id AS tenant_id, (x.created_at AT TIME ZONE s.zone)::date AS day, count(*) AS n
    FROM rollup.settings s, clients x WHERE NOT x.is_deleted GROUP BY 1, 2;

CREATE VIEW rollup.clients_status_expected AS
    SELECT x.tenant_id AS tenant_id, x.status AS status, count(*) AS n
    FROM clients x WHERE NOT x.is_deleted GROUP BY 1, 2;

-- Refills every rollup from the base tables, with days in zone z (NULL: keep the zone). The
-- caller keeps writers out meanwhile (rollup_rebuild() in daemon/admin/rollup.c locks the base
-- tables in SHARE mode).
CREATE FUNCTION rollup.rebuild(z text) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    IF z IS NOT NULL THEN
        UPDATE rollup.settings SET zone = z;
    END IF;
    TRUNCATE rollup.quotes_daily, rollup.quotes_monthly, rollup.expenses_daily, rollup.expenses_monthly, rollup.expenses_status, rollup.clients_daily, rollup.clients_status;
    INSERT INTO rollup.quotes_daily SELECT * FROM rollup.quotes_daily_expected;
    INSERT INTO rollup.quotes_monthly SELECT * FROM rollup.quotes_monthly_expected;
    INSERT INTO rollup.expenses_daily SELECT * FROM rollup.expenses_daily_expected;
    INSERT INTO rollup.expenses_monthly SELECT * FROM rollup.expenses_monthly_expected;
    INSERT INTO rollup.expenses_status SELECT * FROM rollup.expenses_status_expected;
    INSERT INTO rollup.clients_daily SELECT * FROM rollup.clients_daily_expected;
    INSERT INTO rollup.clients_status SELECT * FROM rollup.clients_status_expected;
    ANALYZE rollup.quotes_daily, rollup.quotes_monthly, rollup.expenses_daily, rollup.expenses_monthly, rollup.expenses_status, rollup.clients_daily, rollup.clients_status;
END;
$$;

-- Triggers -------------------------------------------------------------------

-- quotes: rollup.quotes_daily, rollup.quotes_monthly, in this order.
CREATE FUNCTION rollup.quotes_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    z text := rollup.zone();
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO rollup.quotes_daily AS r (tenant_id, status, day, sales_rep_id, n, total)
        SELECT d.tenant_id, d.status, d.day, d.sales_rep_id, sum(d.dn), sum(d.dtotal)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, (x.created_at AT TIME ZONE z)::date AS day, x.sales_rep_id AS sales_rep_id, 1 AS dn, x.total_amount AS dtotal
              FROM new_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2, 3, 4 HAVING sum(d.dn) <> 0 OR sum(d.dtotal) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (tenant_id, status, day, sales_rep_id) DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total;
        INSERT INTO rollup.quotes_monthly AS r (tenant_id, status, month, n, total)
        SELECT d.tenant_id, d.status, d.month, sum(d.dn), sum(d.dtotal)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, date_trunc('month', x.created_at AT TIME ZONE z)::date AS month, 1 AS dn, x.total_amount AS dtotal
              FROM new_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2, 3 HAVING sum(d.dn) <> 0 OR sum(d.dtotal) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (tenant_id, status, month) DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO rollup.quotes_daily AS r (tenant_id, status, day, sales_rep_id, n, total)
        SELECT d.tenant_id, d.status, d.day, d.sales_rep_id, sum(d.dn), sum(d.dtotal)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, (x.created_at AT TIME ZONE z)::date AS day, x.sales_rep_id AS sales_rep_id, -1 AS dn, -x.total_amount AS dtotal
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2, 3, 4 HAVING sum(d.dn) <> 0 OR sum(d.dtotal) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (tenant_id, status, day, sales_rep_id) DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total;
        INSERT INTO rollup.quotes_monthly AS r (tenant_id, status, month, n, total)
        SELECT d.tenant_id, d.status, d.month, sum(d.dn), sum(d.dtotal)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, date_trunc('month', x.created_at AT TIME ZONE z)::date AS month, -1 AS dn, -x.total_amount AS dtotal
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2, 3 HAVING sum(d.dn) <> 0 OR sum(d.dtotal) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (tenant_id, status, month) DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total;
    ELSE
        INSERT INTO rollup.quotes_daily AS r (tenant_id, status, day, sales_rep_id, n, total)
        SELECT d.tenant_id, d.status, d.day, d.sales_rep_id, sum(d.dn), sum(d.dtotal)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, (x.created_at AT TIME ZONE z)::date AS day, x.sales_rep_id AS sales_rep_id, 1 AS dn, x.total_amount AS dtotal
              FROM new_rows x WHERE NOT x.is_deleted
              UNION ALL SELECT x.tenant_id AS tenant_id, x.status AS status, (x.created_at AT TIME ZONE z)::date AS day, x.sales_rep_id AS sales_rep_id, -1 AS dn, -x.total_amount AS dtotal
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2, 3, 4 HAVING sum(d.dn) <> 0 OR sum(d.dtotal) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT (tenant_id, status, day, sales_rep_id) DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total;
        INSERT INTO rollup.quotes_monthly AS r (tenant_id, status, month, n, total)
        SELECT d.tenant_id, d.status, d.month, sum(d.dn), sum(d.dtotal)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, date_trunc('month', x.created_at AT TIME ZONE z)::date AS month, 1 AS dn, x.total_amount AS dtotal
              FROM new_rows x WHERE NOT x.is_deleted
              UNION ALL SELECT x.tenant_id AS tenant_id, x.status AS status, date_trunc('month', x.created_at AT TIME ZONE z)::date AS month, -1 AS dn, -x.total_amount AS dtotal
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2, 3 HAVING sum(d.dn) <> 0 OR sum(d.dtotal) <> 0 ORDER BY 1, 2, 3
        ON CONFLICT (tenant_id, status, month) DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total;
    END IF;
    RETURN NULL;
END;
$$;

-- TRUNCATE fires no delete trigger: it empties the matching rollups instead.
CREATE FUNCTION rollup.quotes_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE rollup.quotes_daily, rollup.quotes_monthly;
    RETURN NULL;
END;
$$;

CREATE TRIGGER quotes_rollup_insert AFTER INSERT ON quotes
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rollup.quotes_apply();
CREATE TRIGGER quotes_rollup_update AFTER UPDATE ON quotes
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rollup.quotes_apply();
CREATE TRIGGER quotes_rollup_delete AFTER DELETE ON quotes
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rollup.quotes_apply();
CREATE TRIGGER quotes_rollup_truncate AFTER TRUNCATE ON quotes
    FOR EACH STATEMENT EXECUTE FUNCTION rollup.quotes_truncate();

-- expenses: rollup.expenses_daily, rollup.expenses_monthly, rollup.expenses_status, in this order.
CREATE FUNCTION rollup.expenses_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    z text := rollup.zone();
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO rollup.expenses_daily AS r (tenant_id, status, day, category_id, n, total)
        SELECT d.tenant_id, d.status, d.day, d.category_id, sum(d.dn), sum(d.dtotal)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, x.date AS day, x.category_id AS category_id, 1 AS dn, x.amount AS dtotal
              FROM new_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2, 3, 4 HAVING sum(d.dn) <> 0 OR sum(d.dtotal) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT ON CONSTRAINT expenses_daily_key DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total;
        INSERT INTO rollup.expenses_monthly AS r (tenant_id, status, month, category_id, n, total)
        SELECT d.tenant_id, d.status, d.month, d.category_id, sum(d.dn), sum(d.dtotal)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, date_trunc('month', x.date)::date AS month, x.category_id AS category_id, 1 AS dn, x.amount AS dtotal
              FROM new_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2, 3, 4 HAVING sum(d.dn) <> 0 OR sum(d.dtotal) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT ON CONSTRAINT expenses_monthly_key DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total;
        INSERT INTO rollup.expenses_status AS r (tenant_id, status, n)
        SELECT d.tenant_id, d.status, sum(d.dn)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, 1 AS dn
              FROM new_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2 HAVING sum(d.dn) <> 0 ORDER BY 1, 2
        ON CONFLICT (tenant_id, status) DO UPDATE SET n = r.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO rollup.expenses_daily AS r (tenant_id, status, day, category_id, n, total)
        SELECT d.tenant_id, d.status, d.day, d.category_id, sum(d.dn), sum(d.dtotal)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, x.date AS day, x.category_id AS category_id, -1 AS dn, -x.amount AS dtotal
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2, 3, 4 HAVING sum(d.dn) <> 0 OR sum(d.dtotal) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT ON CONSTRAINT expenses_daily_key DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total;
        INSERT INTO rollup.expenses_monthly AS r (tenant_id, status, month, category_id, n, total)
        SELECT d.tenant_id, d.status, d.month, d.category_id, sum(d.dn), sum(d.dtotal)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, date_trunc('month', x.date)::date AS month, x.category_id AS category_id, -1 AS dn, -x.amount AS dtotal
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2, 3, 4 HAVING sum(d.dn) <> 0 OR sum(d.dtotal) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT ON CONSTRAINT expenses_monthly_key DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total;
        INSERT INTO rollup.expenses_status AS r (tenant_id, status, n)
        SELECT d.tenant_id, d.status, sum(d.dn)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, -1 AS dn
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2 HAVING sum(d.dn) <> 0 ORDER BY 1, 2
        ON CONFLICT (tenant_id, status) DO UPDATE SET n = r.n + excluded.n;
    ELSE
        INSERT INTO rollup.expenses_daily AS r (tenant_id, status, day, category_id, n, total)
        SELECT d.tenant_id, d.status, d.day, d.category_id, sum(d.dn), sum(d.dtotal)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, x.date AS day, x.category_id AS category_id, 1 AS dn, x.amount AS dtotal
              FROM new_rows x WHERE NOT x.is_deleted
              UNION ALL SELECT x.tenant_id AS tenant_id, x.status AS status, x.date AS day, x.category_id AS category_id, -1 AS dn, -x.amount AS dtotal
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2, 3, 4 HAVING sum(d.dn) <> 0 OR sum(d.dtotal) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT ON CONSTRAINT expenses_daily_key DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total;
        INSERT INTO rollup.expenses_monthly AS r (tenant_id, status, month, category_id, n, total)
        SELECT d.tenant_id, d.status, d.month, d.category_id, sum(d.dn), sum(d.dtotal)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, date_trunc('month', x.date)::date AS month, x.category_id AS category_id, 1 AS dn, x.amount AS dtotal
              FROM new_rows x WHERE NOT x.is_deleted
              UNION ALL SELECT x.tenant_id AS tenant_id, x.status AS status, date_trunc('month', x.date)::date AS month, x.category_id AS category_id, -1 AS dn, -x.amount AS dtotal
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2, 3, 4 HAVING sum(d.dn) <> 0 OR sum(d.dtotal) <> 0 ORDER BY 1, 2, 3, 4
        ON CONFLICT ON CONSTRAINT expenses_monthly_key DO UPDATE SET n = r.n + excluded.n, total = r.total + excluded.total;
        INSERT INTO rollup.expenses_status AS r (tenant_id, status, n)
        SELECT d.tenant_id, d.status, sum(d.dn)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, 1 AS dn
              FROM new_rows x WHERE NOT x.is_deleted
              UNION ALL SELECT x.tenant_id AS tenant_id, x.status AS status, -1 AS dn
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2 HAVING sum(d.dn) <> 0 ORDER BY 1, 2
        ON CONFLICT (tenant_id, status) DO UPDATE SET n = r.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

-- TRUNCATE fires no delete trigger: it empties the matching rollups instead.
CREATE FUNCTION rollup.expenses_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE rollup.expenses_daily, rollup.expenses_monthly, rollup.expenses_status;
    RETURN NULL;
END;
$$;

CREATE TRIGGER expenses_rollup_insert AFTER INSERT ON expenses
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rollup.expenses_apply();
CREATE TRIGGER expenses_rollup_update AFTER UPDATE ON expenses
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rollup.expenses_apply();
CREATE TRIGGER expenses_rollup_delete AFTER DELETE ON expenses
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rollup.expenses_apply();
CREATE TRIGGER expenses_rollup_truncate AFTER TRUNCATE ON expenses
    FOR EACH STATEMENT EXECUTE FUNCTION rollup.expenses_truncate();

-- clients: rollup.clients_daily, rollup.clients_status, in this order.
CREATE FUNCTION rollup.clients_apply() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    z text := rollup.zone();
BEGIN
    IF TG_OP = 'INSERT' THEN
        INSERT INTO rollup.clients_daily AS r (tenant_id, day, n)
        SELECT d.tenant_id, d.day, sum(d.dn)
        FROM (SELECT x.tenant_id AS tenant_id, (x.created_at AT TIME ZONE z)::date AS day, 1 AS dn
              FROM new_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2 HAVING sum(d.dn) <> 0 ORDER BY 1, 2
        ON CONFLICT (tenant_id, day) DO UPDATE SET n = r.n + excluded.n;
        INSERT INTO rollup.clients_status AS r (tenant_id, status, n)
        SELECT d.tenant_id, d.status, sum(d.dn)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, 1 AS dn
              FROM new_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2 HAVING sum(d.dn) <> 0 ORDER BY 1, 2
        ON CONFLICT (tenant_id, status) DO UPDATE SET n = r.n + excluded.n;
    ELSIF TG_OP = 'DELETE' THEN
        INSERT INTO rollup.clients_daily AS r (tenant_id, day, n)
        SELECT d.tenant_id, d.day, sum(d.dn)
        FROM (SELECT x.tenant_id AS tenant_id, (x.created_at AT TIME ZONE z)::date AS day, -1 AS dn
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2 HAVING sum(d.dn) <> 0 ORDER BY 1, 2
        ON CONFLICT (tenant_id, day) DO UPDATE SET n = r.n + excluded.n;
        INSERT INTO rollup.clients_status AS r (tenant_id, status, n)
        SELECT d.tenant_id, d.status, sum(d.dn)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, -1 AS dn
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2 HAVING sum(d.dn) <> 0 ORDER BY 1, 2
        ON CONFLICT (tenant_id, status) DO UPDATE SET n = r.n + excluded.n;
    ELSE
        INSERT INTO rollup.clients_daily AS r (tenant_id, day, n)
        SELECT d.tenant_id, d.day, sum(d.dn)
        FROM (SELECT x.tenant_id AS tenant_id, (x.created_at AT TIME ZONE z)::date AS day, 1 AS dn
              FROM new_rows x WHERE NOT x.is_deleted
              UNION ALL SELECT x.tenant_id AS tenant_id, (x.created_at AT TIME ZONE z)::date AS day, -1 AS dn
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2 HAVING sum(d.dn) <> 0 ORDER BY 1, 2
        ON CONFLICT (tenant_id, day) DO UPDATE SET n = r.n + excluded.n;
        INSERT INTO rollup.clients_status AS r (tenant_id, status, n)
        SELECT d.tenant_id, d.status, sum(d.dn)
        FROM (SELECT x.tenant_id AS tenant_id, x.status AS status, 1 AS dn
              FROM new_rows x WHERE NOT x.is_deleted
              UNION ALL SELECT x.tenant_id AS tenant_id, x.status AS status, -1 AS dn
              FROM old_rows x WHERE NOT x.is_deleted) d
        GROUP BY 1, 2 HAVING sum(d.dn) <> 0 ORDER BY 1, 2
        ON CONFLICT (tenant_id, status) DO UPDATE SET n = r.n + excluded.n;
    END IF;
    RETURN NULL;
END;
$$;

-- TRUNCATE fires no delete trigger: it empties the matching rollups instead.
CREATE FUNCTION rollup.clients_truncate() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    TRUNCATE rollup.clients_daily, rollup.clients_status;
    RETURN NULL;
END;
$$;

CREATE TRIGGER clients_rollup_insert AFTER INSERT ON clients
    REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rollup.clients_apply();
CREATE TRIGGER clients_rollup_update AFTER UPDATE ON clients
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rollup.clients_apply();
CREATE TRIGGER clients_rollup_delete AFTER DELETE ON clients
    REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION rollup.clients_apply();
CREATE TRIGGER clients_rollup_truncate AFTER TRUNCATE ON clients
    FOR EACH STATEMENT EXECUTE FUNCTION rollup.clients_truncate();

-- Backfill -------------------------------------------------------------------

SELECT rollup.rebuild(NULL);
