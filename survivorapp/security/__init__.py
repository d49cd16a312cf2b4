"""Security: sessions, access rules, headers, field encryption, audit and rate limits."""
