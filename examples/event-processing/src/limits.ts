/** Records summarised at once: each holds one object in memory while it is read. */
export const recordConcurrency = 4

/** Larger objects fail their record: read whole, they would not fit a 512 MB function many times over. */
export const maxObjectBytes = 10 * 1024 * 1024
