// Header-only: see include/thread_credentials.h.
#include "thread_credentials.h"
