-- kaohe schema version 4 (SQLite): admin-editable document templates (文书模板) with every
-- saved version kept, and the template version each generated document was rendered with.

-- 文书模板 one row per saved version of a kind's template (warning_letter, elimination_notice,
-- written_notice, monthly_summary). Rows are never changed or deleted: the current template
-- of a kind is its highest version; a revert to the built-in default is a new version with
-- is_default = 1 (its text is the default as it was then). No row = the built-in default.
CREATE TABLE doc_templates (
    id         INTEGER PRIMARY KEY,
    kind       TEXT NOT NULL CHECK (kind <> ''),
    version    INTEGER NOT NULL CHECK (version >= 1),
    text       TEXT NOT NULL,
    is_default BOOLEAN NOT NULL DEFAULT 0,
    hash       TEXT NOT NULL,
    reason     TEXT NOT NULL,
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (kind, version)
);
CREATE TRIGGER doc_templates_no_update BEFORE UPDATE ON doc_templates
BEGIN SELECT RAISE(ABORT, 'template versions are immutable / 模板版本不可修改'); END;
CREATE TRIGGER doc_templates_no_delete BEFORE DELETE ON doc_templates
BEGIN SELECT RAISE(ABORT, 'template versions are immutable / 模板版本不可删除'); END;

-- 文书 the template version a generated document used (NULL = the built-in default, or a
-- document that was not generated from a template).
ALTER TABLE documents ADD COLUMN template_version INTEGER;
