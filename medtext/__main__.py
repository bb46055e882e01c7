"""``python -m medtext`` runs the command line."""

from medtext.cli.entry import main

if __name__ == "__main__":
    main()
