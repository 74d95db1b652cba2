"""System checks for online payment configuration."""

from django.test import override_settings

from b2b_cabinet.checks import check_online_payments


def test_online_payment_needs_our_payment_model_and_a_configured_variant():
    with override_settings(PAYMENT_MODEL="shop.Payment", PAYMENT_VARIANTS={},
                           B2B_CABINET={"ONLINE_PAYMENT_VARIANT": "stripe"}):
        assert [e.id for e in check_online_payments(None)] == ["b2b_cabinet.E003", "b2b_cabinet.E004"]


def test_the_example_settings_pass_and_turning_online_payment_off_needs_nothing():
    assert check_online_payments(None) == []
    with override_settings(PAYMENT_VARIANTS={}, B2B_CABINET={"ONLINE_PAYMENT_VARIANT": ""}):
        assert check_online_payments(None) == []


def test_the_deploy_check_refuses_the_dummy_provider():
    from b2b_cabinet.checks import check_dummy_payment_provider

    assert [w.id for w in check_dummy_payment_provider(None)] == ["b2b_cabinet.W003"]
    with override_settings(PAYMENT_VARIANTS={"stripe": ("payments.stripe.StripeProviderV3", {})}):
        assert check_dummy_payment_provider(None) == []
