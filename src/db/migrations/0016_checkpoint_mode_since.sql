-- When a checkpoint last switched between its poster and the guard's on-screen code (issue 3 §5).
-- A screen code signed before that moment is refused: switching poster → screen → poster → screen
-- within a code's lifetime must not bring the earlier screen codes back to life.
ALTER TABLE checkpoints ADD COLUMN mode_since timestamptz NOT NULL DEFAULT now();
