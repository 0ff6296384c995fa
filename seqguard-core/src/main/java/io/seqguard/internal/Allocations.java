package io.seqguard.internal;

import io.seqguard.AlignerConfiguration;
import io.seqguard.AllocationRule;
import io.seqguard.AllocationSource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Which allocation rules apply to one sequence and where they come from (its entities, a configured mapping, the
 * configuration, the default), and what its entities' blocks say about its increment. The arithmetic itself is
 * {@link Arithmetic}'s.
 */
final class Allocations {

    private Allocations() {
    }

    /**
     * The allocation rules that apply to the sequence, and where they come from: its configured mappings' own rules,
     * else its entities' generators (the strictest decides), else the configured (or default) rule. The rule a
     * configured mapping overrides, and entities that disagree, are noted.
     */
    static void choose(Judged j, AlignerConfiguration config) {
        List<AllocationRule> configured = new ArrayList<>();
        List<AllocationRule> entities = new ArrayList<>();
        Map<AllocationRule, List<String>> byRule = new LinkedHashMap<>();
        for (Mappings.Allocation a : j.sequence.allocations) {
            List<AllocationRule> rules = a.source() == AllocationSource.ENTITY ? entities : configured;
            if (!rules.contains(a.rule())) {
                rules.add(a.rule());
            }
            if (a.entity() != null) {
                List<String> names = byRule.computeIfAbsent(a.rule(), k -> new ArrayList<>());
                if (!names.contains(a.entity())) {
                    names.add(a.entity());
                }
            }
        }
        j.entitiesByRule = byRule;
        if (!configured.isEmpty()) {
            j.rules = configured;
            j.allocationSource = AllocationSource.PROPERTY;
            for (AllocationRule rule : entities) {
                if (!configured.contains(rule)) {
                    j.extraNotes.add("entity " + String.join(", ", byRule.get(rule)) + " allocates " + rule
                            + "; the configured mapping's rule " + join(configured) + " applies");
                }
            }
        } else if (!entities.isEmpty()) {
            j.rules = entities;
            j.allocationSource = AllocationSource.ENTITY;
            if (entities.size() > 1) {
                List<String> each = new ArrayList<>();
                for (Map.Entry<AllocationRule, List<String>> e : byRule.entrySet()) {
                    each.add(String.join(", ", e.getValue()) + " " + e.getKey());
                }
                j.extraNotes.add("the entities sharing it allocate differently (" + String.join("; ", each)
                        + "): the strictest rule applies");
            }
        } else {
            j.rules = List.of(config.getAllocation());
            j.allocationSource = config.isAllocationConfigured() ? AllocationSource.PROPERTY : AllocationSource.DEFAULT;
        }
        j.allocation = j.rules.get(0);
    }

    /**
     * Why the sequence's blocks overlap (a pooled or pooled-lo block of its entity, or of its configured mapping,
     * larger than its increment), naming the fix; null when they do not. A block smaller than the increment only skips
     * ids: noted.
     */
    static String overlap(Judged j) {
        SequenceInfo s = j.sequence;
        if (!s.exists || s.allocations.isEmpty()) {
            // the aligner's own rule is one guess for every sequence, most of them used by no ORM at all
            return null;
        }
        for (AllocationRule rule : j.rules) {
            String who = who(j, rule);
            if (Arithmetic.overlaps(rule, s.increment)) {
                return "its increment is " + s.increment + ", but " + who + " takes " + rule.blockSize()
                        + " ids per value (" + rule + "): each block overlaps the one before, so ids repeat whatever "
                        + "its value. Fix: ALTER SEQUENCE " + s.ident + " INCREMENT BY "
                        + (s.descending() ? -rule.blockSize() : rule.blockSize()) + " (then repair), or an allocation"
                        + " size of " + Math.abs(s.increment) + " for " + who;
            }
            if (Arithmetic.skipsIds(rule, s.increment)) {
                j.extraNotes.add("its increment is " + s.increment + ", but " + who + " takes " + rule.blockSize()
                        + " ids per value (" + rule + "): each value skips " + (Math.abs(s.increment)
                        - rule.blockSize()) + " ids, which wastes them but does not collide; ALTER SEQUENCE " + s.ident
                        + " INCREMENT BY " + (s.descending() ? -rule.blockSize() : rule.blockSize())
                        + " or an allocation size of " + Math.abs(s.increment) + " ends the gaps");
            }
        }
        return null;
    }

    /** Who allocates by this rule: the entities, or the configuration. */
    private static String who(Judged j, AllocationRule rule) {
        List<String> entities = j.entitiesByRule.get(rule);
        if (entities != null && j.allocationSource == AllocationSource.ENTITY) {
            return (entities.size() == 1 ? "entity " : "entities ") + String.join(", ", entities);
        }
        return "the configured mapping's rule";
    }

    private static String join(List<AllocationRule> rules) {
        List<String> names = new ArrayList<>();
        for (AllocationRule rule : rules) {
            names.add(rule.toString());
        }
        return String.join(", ", names);
    }
}
