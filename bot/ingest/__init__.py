"""Getting feeds in: fetching over HTTP behind the address guard, decoding and parsing the
bytes into items, and the helpers that find and list feeds (discovery, OPML)."""
