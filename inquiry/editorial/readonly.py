"""Admin pages for rows that only the site writes (proposals, the search log): staff read them, and act
on them only through the page's own buttons, never through Django's add, change or delete."""


class ReadOnlyAdminMixin:
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
