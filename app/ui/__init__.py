"""The Qt layer: it displays and edits, calls services, and computes no business figure."""
