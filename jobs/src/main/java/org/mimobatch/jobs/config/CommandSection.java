package org.mimobatch.jobs.config;

import com.typesafe.config.Config;
import java.util.Set;

/**
 * The keys of one command that are not part of reference.conf (the bench command's, say): their
 * defaults, relative to the same root, and those whose values are paths or names, which the command
 * line takes as written.
 */
public record CommandSection(Config defaults, Set<String> literalKeys) {}
