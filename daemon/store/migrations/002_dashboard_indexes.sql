-- 002: partial indexes that make the dashboard's snapshot counts index-only
-- (pending approvals, active clients) for one tenant.
CREATE INDEX expenses_tenant_pending_idx ON expenses (tenant_id)
    WHERE status = 'pending' AND NOT is_deleted;
CREATE INDEX clients_tenant_active_idx ON clients (tenant_id)
    WHERE status = 'active' AND NOT is_deleted;
