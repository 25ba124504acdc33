"""Live rebuild: the preview server and build --watch, what a saved file is and what it reaches."""
