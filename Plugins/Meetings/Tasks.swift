import Foundation
import ReceptionPluginSDK

/// `meetings.tasks`, `meetings.tasks.done`, and the minute job `meetings.tasks.sweep`.
enum Tasks {
    /// The columns worth showing of one task.
    static let columns = ["due", "kind", "team", "booking", "status", "overdue", "doneBy", "note"]

    /// `meetings.tasks {"date", "team"?}`: the day's tasks by due time; `overdue` as of the caller's now.
    static let listMethod: Method<MeetingsPlugin> = .read(
        "meetings.tasks", "The day's preparation tasks by due time (one team's, if named); overdue ones are marked.",
        zh: "当日会前准备任务，按应完成时间排序（可只看一个班组）；超时未完成的标为超时。",
        display: DisplayHints(title: "task", list: "tasks", columns: columns), result: MeetingTask.self
    ) { (plugin, params: TasksParams, context) -> JSONValue in
        let local = plugin.config.local
        let from = EpochMillis.of(local.start(of: params.date))
        let to = EpochMillis.of(local.start(of: params.date.adding(days: 1) ?? params.date))
        var sql =
            "SELECT \(MeetingTask.columns) FROM meetings_tasks WHERE due_ms >= ? AND due_ms < ? AND status <> 'cancelled'"
        var arguments: [any SQLBindable] = [from, to]
        if let team = params.team {
            sql += " AND team = ?"
            arguments.append(team)
        }
        let tasks = MeetingTask.rows(try context.db.query(sql + " ORDER BY due_ms, id LIMIT 5000", arguments))
        return ["tasks": .array(tasks.map { $0.wire(nowMs: context.nowMs) })]
    }

    /// `meetings.tasks.done {"task", "note"?}`: who did it, and a note. A `tea_refill` done makes
    /// the next one (``TeaRefills``); a major meeting's `setup` done closes the room and the reply
    /// adds `closing`, the bookings already in the closed window (``RoomClosure``).
    static let doneMethod: Method<MeetingsPlugin> = .write(
        "meetings.tasks.done",
        "Records a task as done: by whom (the operator) and a note. A tea refill makes the next one while the meeting runs; a major meeting's setup closes its room to others until the end.",
        zh: "登记准备任务已完成：记录经办人和备注。续茶完成后，会议进行中则生成下一次续茶；一类会议布置完成后，会议室对外封闭至会议结束。",
        display: DisplayHints(title: "task", columns: columns),
        result: MeetingTask.self
    ) { (plugin, params: TaskDoneParams, context) -> JSONValue in
        guard
            let row = try context.db.queryOne(
                "SELECT \(MeetingTask.columns) FROM meetings_tasks WHERE task = ?", [params.task])
        else {
            throw RPCError(
                .notFound, "no meetings task \(params.task)", field: "task", details: ["task": .string(params.task)]
            )
            .localized("zh", "没有任务 \(params.task)")
        }
        let task = MeetingTask(row: row)
        guard task.status == "open" else {
            throw RPCError.invalidState(
                "cannot mark task \(task.task) done: it is \(task.status)",
                details: ["task": .string(task.task), "status": .string(task.status)]
            ).localized("zh", "任务 \(task.task) 无法登记完成：当前状态为“\(task.status == "done" ? "已完成" : "已取消")”")
        }
        try context.db.execute(
            "UPDATE meetings_tasks SET status = 'done', done_at = ?, done_by = ?, note = ? WHERE id = ?",
            [plugin.config.local.format(context.now), context.stamp.by, params.note, task.id])
        guard
            let stored = try context.db.queryOne(
                "SELECT \(MeetingTask.columns) FROM meetings_tasks WHERE id = ?", [task.id])
        else { throw RPCError.internalError("task \(task.id) vanished") }
        var extra: [String: JSONValue] = [:]
        switch task.kind {
        case TeaRefills.kind:
            try TeaRefills.next(after: task, at: context.now, config: plugin.config, in: context.db)
        case RoomClosure.setupKind:
            if let closing = try RoomClosure.close(after: task, in: context, config: plugin.config) {
                extra["closing"] = .array(closing.map { .string($0) })
            }
        default: break
        }
        let reply = MeetingTask(row: stored).wire(nowMs: context.stamp.ms, adding: extra)
        try context.emit(.taskDone, reply)
        return reply
    }

    /// `meetings.tasks.sweep` (role system): the minute job. Announces each open task past its
    /// due time once (`meetings.task.overdue`), and creates today's `open_rooms` when today has
    /// bookings and it is missing.
    static let sweepMethod: Method<MeetingsPlugin> = .write(
        "meetings.tasks.sweep",
        "The minute job (the daemon runs it): announces each newly overdue task once and opens today's rooms.",
        zh: "每分钟的后台任务（由守护进程执行）：超时任务各通知一次，并生成当天的开门任务。", role: .system
    ) { (plugin, _: NoParams, context) -> JSONValue in
        let db = context.db
        let local = plugin.config.local
        let today = local.day(of: context.now)
        let from = EpochMillis.of(local.start(of: today))
        let to = EpochMillis.of(local.start(of: today.adding(days: 1) ?? today))
        var opened = 0
        if try db.queryOne(
            "SELECT id FROM meetings_bookings WHERE start_ms >= ? AND start_ms < ? AND status <> 'cancelled' LIMIT 1",
            [from, to]) != nil, try TaskPlan.openRooms(on: today, config: plugin.config, in: db) != nil
        {
            opened = 1
        }
        let due = MeetingTask.rows(
            try db.query(
                """
                SELECT \(MeetingTask.columns) FROM meetings_tasks
                WHERE status = 'open' AND overdue_ms IS NULL AND due_ms < ?
                ORDER BY due_ms, id LIMIT 500
                """, [context.stamp.ms]))
        for task in due {
            try db.execute("UPDATE meetings_tasks SET overdue_ms = ? WHERE id = ?", [context.stamp.ms, task.id])
            try context.emit(.taskOverdue, task.wire(nowMs: context.stamp.ms))
        }
        return ["announced": .int(Int64(due.count)), "opened": .int(Int64(opened))]
    }
}

/// The params of `meetings.tasks`.
struct TasksParams: MethodParams {
    @Param("The day (YYYY-MM-DD)", zh: "日期（YYYY-MM-DD）", positional: true) var date: CivilDate
    @Param(
        "Only this team's: front_desk, av, facilities (configurable)", zh: "只看某班组：front_desk 前台、av 音视频、facilities 工程",
        maxLength: 32, text: .verbatim)
    var team: String?
}

/// The params of `meetings.tasks.done`.
struct TaskDoneParams: MethodParams {
    @Param(
        "The task, e.g. MT20261205-0001/tea", zh: "任务编号，如 MT20261205-0001/tea", maxLength: 64, text: .verbatim,
        positional: true)
    var task: String
    @Param("A note", zh: "备注", maxLength: 500, text: .note) var note: String?
}
