"""Discord: alerts as embeds over REST, slash commands over the gateway."""
