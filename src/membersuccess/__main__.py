"""`python -m membersuccess` runs the `msm` command."""

from membersuccess.cli import main

main()
