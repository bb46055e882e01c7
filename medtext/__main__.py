"""``python -m medtext`` runs the command line."""

from medtext.cli.app import main

if __name__ == "__main__":
    main()
