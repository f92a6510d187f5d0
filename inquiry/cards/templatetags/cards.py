from django import template

from inquiry.cards.diagrams import two_accounts_picture

register = template.Library()


@register.simple_tag
def two_accounts_figure():
    return two_accounts_picture()
