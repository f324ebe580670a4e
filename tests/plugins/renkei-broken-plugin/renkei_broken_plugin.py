"""A plugin whose import fails, as one does when a library it needs is missing."""

raise ImportError("No module named 'a_library_this_plugin_needs'")
