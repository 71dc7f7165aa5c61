from crawler.commands import cli

cli(prog_name="presswatch")
