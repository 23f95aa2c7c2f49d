"""The catalog: metastore (SQLite), warehouse layout, session catalog with temp and global temp
views, and the function registry. It depends on no other Ember layer: views are kept as SQL
text or as opaque plan objects handed in by the session."""
