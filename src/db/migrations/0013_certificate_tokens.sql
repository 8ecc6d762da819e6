-- Issued certificates (issue 6 §3): the signed token printed as the QR (kept, so the PDF printed
-- again shows the very code first printed) and the characters the PDF fonts could not draw,
-- reported at issue time.
ALTER TABLE certificates ADD COLUMN token text;
ALTER TABLE certificates ADD COLUMN missing_glyphs text[] NOT NULL DEFAULT '{}';
-- An issued certificate always has its token; rows from before this migration had none issued.
ALTER TABLE certificates ADD CONSTRAINT certificates_token_present CHECK (token IS NOT NULL AND length(token) BETWEEN 20 AND 4096);
