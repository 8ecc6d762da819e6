-- 不予出具 (issue 6): the chief doctor may refuse an assessed or signed declaration that can no
-- longer be issued (the applicant came under a measure since), so it does not stay open for ever.
ALTER TABLE declaration_steps DROP CONSTRAINT declaration_steps_action_check;
ALTER TABLE declaration_steps ADD CONSTRAINT declaration_steps_action_check
  CHECK (action IN ('submit', 'resubmit', 'verify_residence', 'return', 'assess', 'sign', 'issue', 'refuse', 'revoke'));
