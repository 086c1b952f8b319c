"""Use cases: each takes a Session (and a job for long work) and returns plain results; the caller owns
the transaction."""
