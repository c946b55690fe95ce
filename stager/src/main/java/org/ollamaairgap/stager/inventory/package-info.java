/**
 * What the store holds for the models a run was asked for, after the run: the record production
 * pins its verifier to ({@code --expect}).
 */
package org.ollamaairgap.stager.inventory;
