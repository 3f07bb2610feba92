/** The behavioural model of the Intel 82576 (igb): {@code mock:82576}. */
package io.nicup.mock.e82576;
