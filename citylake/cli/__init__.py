"""The command line (typer): `citylake …`."""
