"""The editorial workflow of the medical advisory board (F11, F12).

    keys.py       the equivalence key: which questions share one article
    sources.py    the fingerprint of the sources an answer used (topic hashes, corpus documents)
    service.py    ReviewService: answer through the articles (reuse approved ones, invalidate stale ones)
    workflow.py   status transitions and who may make them; every change versioned and audited
    edits.py      applying an editor's changes to bullets and bottom line, refused if a citation breaks
    diff.py       what changed between two versions
    accounts.py   argon2 passwords, roles, login with lockout, login sessions
"""
