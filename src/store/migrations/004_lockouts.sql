-- Lockouts that grow with repeated failures (filled in with the lockout work).
SELECT 1;
