"""An example async shop service."""
