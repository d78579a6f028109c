/* Empty: the module is the header. */
