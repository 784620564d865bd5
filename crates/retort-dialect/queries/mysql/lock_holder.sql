-- The session holding the migration lock named :lock_name: its id, user, how long it has been in
-- its current state, and its host; all text.
SELECT CAST(p.ID AS CHAR), CONCAT('user ', p.USER),
       CONCAT(CAST(p.TIME AS CHAR), ' s ago (its current state)'), p.HOST
FROM information_schema.PROCESSLIST p
WHERE p.ID = IS_USED_LOCK(:lock_name)
