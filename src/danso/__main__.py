from danso.cli.main import main

main()
