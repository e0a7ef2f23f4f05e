"""Discord: alerts as embeds over REST (``channel``, drawn by ``render``), slash commands
(``commands``) over the gateway (``frontend``), on discord.py; the channel kinds it brings
(``kinds``), which import no SDK: ``channel``, ``commands`` and ``frontend`` are imported
only when a Discord channel or front end is built."""
