"""The packaged criteria profiles (TOML), read through importlib.resources."""
