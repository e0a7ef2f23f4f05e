"""dealbot: feed alerts for tech-industry news, delivered to chat channels.

The core package (everything outside ``bot.adapters``) never imports a chat SDK.
"""

__version__ = "0.1.0"

__all__ = ["__version__"]
