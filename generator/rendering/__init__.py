"""Pages from templates: the Jinja2 environment and its helpers, one function from route to HTML."""
