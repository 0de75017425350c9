"""Small services the apps share and that depend on no app: append-only records (the model base
and the database triggers), the read-only admin, and the content-addressed file store."""
