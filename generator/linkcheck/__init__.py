"""The link checker: every reference of the built site verified, each problem traced to its source.

`check.check_site` is the entry point; `extract` reads built files, `internal` resolves
references against the output as a web server would, `external` asks outside servers,
`sources` maps a reference back to the Markdown or template line, `report` formats findings.
"""
