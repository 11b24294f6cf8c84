def noop(**kwargs):
    """
    Do nothing: a placeholder block, or a hook for code in the block's setup.

    Returns a JSON-serializable object that implements the configured data paths:
    """
    ############################ Custom Code Goes Below This Line #################################
    return {}
