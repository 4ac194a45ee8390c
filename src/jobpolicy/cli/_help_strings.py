"""The fixed strings of typer's help and error display, in Chinese.

``_chinese.use_chinese_help`` puts them into ``typer.rich_utils`` when rich draws the help; ``_plain_help`` draws
them itself. ``RANGE_STRING`` and ``REQUIRED_SHORT_STRING`` are typer's own, unchanged (no words in them).
"""

RICH_STRINGS = {
    "DEPRECATED_STRING": "（已停用）",
    "DEFAULT_STRING": "[默认: {}]",
    "ENVVAR_STRING": "[环境变量: {}]",
    "REQUIRED_LONG_STRING": "[必填]",
    "ARGUMENTS_PANEL_TITLE": "参数",
    "OPTIONS_PANEL_TITLE": "选项",
    "COMMANDS_PANEL_TITLE": "命令",
    "ERRORS_PANEL_TITLE": "错误",
    "ABORTED_TEXT": "已取消。",
    "RICH_HELP": "运行 [blue]{command_path} {help_option}[/] 查看帮助。",
}

RANGE_STRING = " [{}]"
REQUIRED_SHORT_STRING = "*"
