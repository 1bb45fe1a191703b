"""What the web channel says to people when something is not a normal answer (Simplified Chinese)."""

HOTLINE = "请通过区内29个知识产权综合咨询服务窗口或拨打12345政务服务便民热线咨询"

EMPTY_QUESTION = "请输入您的问题，例如：专利可以拿去银行贷款吗？"
BAD_REQUEST = '请求格式不正确：请以 JSON 发送问题，例如 {"q": "专利可以拿去银行贷款吗"}。'
NOT_JSON = "请以 JSON 格式发送（Content-Type: application/json）。"
BAD_FEEDBACK = "评价格式不正确：需要 question_id（提问编号，整数）和 value（1 表示有帮助，-1 表示没帮助）。"
UNKNOWN_QUESTION = "没有找到这条提问记录，无法评价；请重新提问后再评价。"
UNKNOWN_UNIT = "没有找到这个规划条目，请从“浏览规划全文”中查找。"
NOT_FOUND = "没有找到您要的页面。"
METHOD_NOT_ALLOWED = "不支持这种请求方式。"
KB_UNAVAILABLE = "知识库正在更新或暂时不可用，请稍后再试；急事" + HOTLINE + "。"
INTERNAL_ERROR = "系统出了点问题，请稍后再试；急事" + HOTLINE + "。"
THANKS = "谢谢您的反馈！"


def too_long(limit: int) -> str:
    return f"问题太长了（最多{limit}个字），请精简后再问。"


def too_many(seconds: int) -> str:
    return f"提问太频繁了，请{seconds}秒后再试。"


def request_too_large() -> str:
    return "提交的内容太大了，请精简后再试。"


def status_message(status: int) -> str:
    return {
        400: BAD_REQUEST,
        404: NOT_FOUND,
        405: METHOD_NOT_ALLOWED,
        413: request_too_large(),
        503: KB_UNAVAILABLE,
    }.get(status, INTERNAL_ERROR if status >= 500 else "请求没有成功，请检查后再试。")
