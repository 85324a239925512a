"""Page handlers, one module per journey."""
