#pragma once

/// Present so the shim library has an exported symbol; the work is done by its constructor.
int empty_argv_shim_marker(void);
