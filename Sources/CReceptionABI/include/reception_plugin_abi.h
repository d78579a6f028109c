/*
 * The receptiond plugin ABI: the only thing the daemon and a department plugin share.
 *
 * A plugin is a shared library that exports one C symbol, RECEPTION_PLUGIN_ENTRY_SYMBOL, of type
 * rcp_entry_fn. The daemon dlopen()s the library, calls the entry with its host table, and gets back
 * a plugin table. Params, results, errors and events cross as UTF-8 JSON in byte buffers and the
 * caller as a fixed C record (rcp_caller), so a plugin built separately against the SDK (even with
 * another compiler version) loads safely: no Swift type, metadata or allocation is ever shared
 * across the boundary.
 *
 * Version 2 (issue 18) made the hot path cheap: the caller is a binary record instead of a JSON
 * object, the params are the bytes of the request's own `params` member (the daemon parsed and
 * checked them, and does not write them out again), and rcp_call starts with its size so that it
 * can grow by appending, like the two tables. A version-1 plugin is refused with a message that
 * says to rebuild it against the SDK; its source does not change.
 *
 * Versioning: the host refuses a table whose abi_version differs from RECEPTION_PLUGIN_ABI_VERSION.
 * New function pointers are only ever appended; `size` tells the host how much of the table exists.
 * Swift code must write and read these structs member by member, never copy one whole: the Swift
 * runtime uniques an imported C struct's metadata by name across every loaded library, so the
 * first library to use rcp_plugin (possibly one built against an older, shorter header) decides
 * the size a whole-struct copy moves for everyone.
 *
 * Ownership: rcp_bytes are borrowed for the duration of the call. rcp_owned_bytes are allocated by
 * the plugin and handed back to it through `release` once the host has copied them.
 */
#ifndef RECEPTION_PLUGIN_ABI_H
#define RECEPTION_PLUGIN_ABI_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define RECEPTION_PLUGIN_ABI_VERSION 2u
#define RECEPTION_PLUGIN_ENTRY_SYMBOL "receptiond_plugin_entry"

/* Status codes returned by the plugin table's functions. */
#define RCP_OK 0
#define RCP_ERROR 1

/* Log levels for rcp_host.log, in swift-log order. */
#define RCP_LOG_TRACE 0
#define RCP_LOG_DEBUG 1
#define RCP_LOG_INFO 2
#define RCP_LOG_NOTICE 3
#define RCP_LOG_WARNING 4
#define RCP_LOG_ERROR 5
#define RCP_LOG_CRITICAL 6

/* Roles in rcp_caller.role. */
#define RCP_ROLE_OPERATOR 0
#define RCP_ROLE_ADMIN 1
#define RCP_ROLE_SYSTEM 2

/* Borrowed bytes: valid only during the call that receives them. */
typedef struct rcp_bytes {
    const uint8_t *_Nullable data;
    size_t len;
} rcp_bytes;

/* Bytes allocated by the plugin; the host returns them through rcp_plugin.release. */
typedef struct rcp_owned_bytes {
    uint8_t *_Nullable data;
    size_t len;
} rcp_owned_bytes;

/* What the daemon offers every plugin for its whole lifetime. */
typedef struct rcp_host {
    uint32_t abi_version;
    uint32_t size;
    void *_Nullable context;
    /* Writes a log line through the daemon's logger (journald under systemd). */
    void (*_Nonnull log)(void *_Nullable context, int32_t level, rcp_bytes message);
    /* Background work: queues a call of one of the plugin's own write methods (typically an
       internal one) on the writer, as the daemon itself (role "system"). Returns at once; the
       outcome is logged. Callable from any thread, at any time after configure. */
    void (*_Nonnull submit_write)(void *_Nullable context, rcp_bytes method, rcp_bytes params_json);
    /* Calls another plugin's method from inside a running call (`call_context` is that call's
       rcp_call.call_context), for the duration of that call only: on the same connection and, in a
       writable call, inside its transaction, in a savepoint of its own that is undone when the
       called method fails; as the same caller, whose role the method must allow, with its params
       checked against its schema; its events are published with the running call's, if that one
       commits. A read call may call only read methods. RCP_OK: `out` is the result JSON; RCP_ERROR:
       an error JSON (kind "unavailable" when the plugin is not loaded). `out` is allocated with
       malloc: the caller free()s it. Hosts older than this member end before it: check `size`. */
    int32_t (*_Nullable call)(
        void *_Nullable context, void *_Nullable call_context, rcp_bytes method, rcp_bytes params_json,
        rcp_owned_bytes *_Nonnull out);
} rcp_host;

/* Who is calling, and when: ReceptionPluginContract's CallerRecord as a C record. The text members
   are UTF-8 without a terminator; `data` NULL means absent (no daemon.hello yet). */
typedef struct rcp_caller {
    uint32_t size;          /* sizeof(rcp_caller) as the host was built: members are only appended */
    int32_t role;           /* RCP_ROLE_* */
    int64_t now_ms;         /* the call's time, ms since 1970: one clock reading for the whole call */
    int64_t uid;            /* the peer's credentials (SO_PEERCRED) */
    int64_t gid;
    int64_t pid;
    rcp_bytes request_id;   /* the request's id as the daemon logs it */
    rcp_bytes workstation;  /* the counter workstation named in daemon.hello */
    rcp_bytes operator_name; /* the person at the counter named in daemon.hello */
} rcp_caller;

/* One method call. */
typedef struct rcp_call {
    uint32_t size;      /* sizeof(rcp_call) as the host was built: members are only appended */
    rcp_bytes method;   /* full method name, e.g. "parcels.receive" */
    /* The params: one JSON object (or empty for none), the bytes of the request's `params` member
       as the client sent them. The daemon has parsed them and checked them against the method's
       schema; the plugin parses them once more into its own types (JSONParser's rules: the first
       of a repeated member name wins). */
    rcp_bytes params;
    const rcp_caller *_Nonnull caller;
    /* The sqlite3 * of the connection the host lends for this call (to one call at a time). The
       plugin may keep prepared statements on it between calls (the SDK caches them), so the host
       must keep every connection it lends open until it has called the plugin's shutdown.
       Every statement must be reset (or finalized) before the call returns: a stepped statement
       keeps a read snapshot open (the host resets such statements after a read and rolls back). */
    void *_Nullable db;
    int32_t writable;   /* 1 inside the writer's transaction, 0 on a read-only connection */
    void *_Nullable call_context;
    /* Queues an event; it is published only if this call's changes commit. Writable calls only. */
    void (*_Nullable emit_event)(void *_Nullable call_context, rcp_bytes topic, rcp_bytes data_json);
    /* Logs a line tagged with this call's plugin, method, request id and caller. */
    void (*_Nonnull log)(void *_Nullable call_context, int32_t level, rcp_bytes message);
} rcp_call;

/* What a plugin offers the daemon. */
typedef struct rcp_plugin {
    uint32_t abi_version;
    uint32_t size;
    void *_Nullable context;
    /* Manifest JSON: name, version, summary, methods, topics, migrations and, optionally, events
       (each topic's readable line; ReceptionPluginContract's PluginManifest and EventLine). A method's params schema may use only the keywords the daemon enforces
       (SchemaSubset); any other keyword refuses the plugin. */
    int32_t (*_Nonnull describe)(void *_Nullable context, rcp_owned_bytes *_Nonnull out);
    /* Applies the plugin's config section (a JSON object). On RCP_ERROR `out` holds an error JSON. */
    int32_t (*_Nonnull configure)(void *_Nullable context, rcp_bytes config, rcp_owned_bytes *_Nonnull out);
    /* Handles one call. RCP_OK: `out` is the result JSON. RCP_ERROR: `out` is an error JSON
       {"kind": ..., "message": ..., "field"?: ..., "data"?: {...}}. May run on several threads at once. */
    int32_t (*_Nonnull handle)(void *_Nullable context, const rcp_call *_Nonnull call, rcp_owned_bytes *_Nonnull out);
    void (*_Nonnull release)(void *_Nullable context, rcp_owned_bytes bytes);
    /* Called once when the daemon stops, after its last call and before it closes the database
       connections it lent (the plugin finalizes the statements it kept on them here); the
       library stays mapped. */
    void (*_Nonnull shutdown)(void *_Nullable context);
    /* After each commit that emitted events on the plugin's own topics: a JSON array of
       {"topic", "seq", "time", "data"}, in commit order, once the commit is on disk, one commit at a time, on the daemon thread that answers
       it (the writer's or its WAL sync thread): return
       quickly and hand slow work (running a command) to a thread of your own. May be NULL. */
    void (*_Nullable committed)(void *_Nullable context, rcp_bytes events_json);
    /* Called once when the daemon stops, after the last request has been answered and before
       `shutdown`, while background writes (submit_write) still commit: the plugin finishes its
       own queued work within grace_ms and returns. May be NULL (tables older than this member
       end before it: check `size`). */
    void (*_Nullable stop)(void *_Nullable context, uint32_t grace_ms);
    /* Called once when the daemon is ready: every plugin loaded, configured and migrated, the
       socket listening, submit_write accepted. The plugin starts its own timers here (a minute
       sweep submitting a system method). Return quickly. May be NULL (tables older than this
       member end before it: check `size`). */
    void (*_Nullable started)(void *_Nullable context);
} rcp_plugin;

typedef const rcp_plugin *_Nullable (*rcp_entry_fn)(const rcp_host *_Nonnull host);

#ifdef __cplusplus
}
#endif

#endif
