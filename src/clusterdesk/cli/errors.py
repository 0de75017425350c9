"""Exit codes and the usage error shared by all commands."""

EXIT_OK = 0
EXIT_FINDINGS = 1  # the application has errors
EXIT_INPUT = 2  # the input could not be used


class CommandLineError(Exception):
    """A usage or input error: printed in Chinese, exit code 2."""
