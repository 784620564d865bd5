-- How many of one object the catalog has (0 or 1): asked on `--resume` about a statement a
-- killed run left in doubt (see src/mysql/in_doubt.rs). Placeholders, each filled with a
-- quoted literal (or DATABASE()): {kind} is table, view, column, index, constraint or
-- trigger; {schema} and {table} name the table (the trigger's schema for a trigger);
-- {name} the column, index, constraint or trigger. Table names compare as bytes (they are
-- case-sensitive on Linux); the others as MySQL compares them.
SELECT CASE {kind}
    WHEN 'table' THEN (SELECT COUNT(*) FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = {schema} AND CAST(TABLE_NAME AS BINARY) = CAST({table} AS BINARY)
          AND TABLE_TYPE <> 'VIEW')
    WHEN 'view' THEN (SELECT COUNT(*) FROM information_schema.TABLES
        WHERE TABLE_SCHEMA = {schema} AND CAST(TABLE_NAME AS BINARY) = CAST({table} AS BINARY)
          AND TABLE_TYPE = 'VIEW')
    WHEN 'column' THEN (SELECT COUNT(*) FROM information_schema.COLUMNS
        WHERE TABLE_SCHEMA = {schema} AND CAST(TABLE_NAME AS BINARY) = CAST({table} AS BINARY)
          AND COLUMN_NAME = {name})
    WHEN 'index' THEN (SELECT COUNT(DISTINCT INDEX_NAME) FROM information_schema.STATISTICS
        WHERE TABLE_SCHEMA = {schema} AND CAST(TABLE_NAME AS BINARY) = CAST({table} AS BINARY)
          AND INDEX_NAME = {name})
    WHEN 'constraint' THEN (SELECT COUNT(*) FROM information_schema.TABLE_CONSTRAINTS
        WHERE CONSTRAINT_SCHEMA = {schema} AND CAST(TABLE_NAME AS BINARY) = CAST({table} AS BINARY)
          AND CONSTRAINT_NAME = {name})
    WHEN 'trigger' THEN (SELECT COUNT(*) FROM information_schema.TRIGGERS
        WHERE TRIGGER_SCHEMA = {schema} AND TRIGGER_NAME = {name})
END
