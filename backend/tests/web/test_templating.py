from agentic_shop.web.templating import spec_value


def test_spec_values_read_naturally():
    assert spec_value(True) == "Yes" and spec_value(False) == "No"
    assert spec_value(["USB-C", True]) == "USB-C, Yes"
    assert spec_value(5.2) == "5.2" and spec_value("5 ATM") == "5 ATM"
