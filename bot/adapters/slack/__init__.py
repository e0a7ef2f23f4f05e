"""Slack: alerts as Block Kit messages (``channel``, drawn by ``render``), slash commands
(``commands``) and their listener in Socket Mode or HTTP mode (``frontend``), on
slack_sdk and slack-bolt. Imported only when a Slack channel or front end is built."""
