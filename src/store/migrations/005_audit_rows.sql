-- The rows each audited change wrote (filled in with the check work).
SELECT 1;
