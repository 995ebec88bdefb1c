-- 003: the quote list's index. Lists count and page a tenant's undeleted
-- quotes newest first; as a partial index this makes the count index-only
-- and the default page a backward walk that stops after page_size rows.
CREATE INDEX quotes_tenant_live_created_idx ON quotes (tenant_id, created_at)
    WHERE NOT is_deleted;
