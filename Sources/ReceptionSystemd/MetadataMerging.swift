import Logging

/// How both handlers combine the metadata sources of one record.
enum MetadataMerging {
    /// Handler metadata, overridden by the metadata provider's, overridden by the record's own metadata.
    ///
    /// An error attached to the event is added under the key `error` unless the metadata already has one.
    static func merged(
        handler: Logger.Metadata,
        provider: Logger.MetadataProvider?,
        event: LogEvent
    ) -> Logger.Metadata {
        var result = handler
        if let provided = provider?.get(), !provided.isEmpty {
            result.merge(provided) { _, new in new }
        }
        if let recorded = event.metadata, !recorded.isEmpty {
            result.merge(recorded) { _, new in new }
        }
        if let error = event.error, result["error"] == nil {
            result["error"] = .string(String(describing: error))
        }
        return result
    }
}
