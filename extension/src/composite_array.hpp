// Array arguments whose elements are rows of one composite type
// (eventstore.event_data[], eventstore.stream_append[]): the elements, and each
// element split into its fields. The row type is looked up once, at the first
// element read, so a NULL element is reported before a wrong type.
#pragma once

#include "postgres.hpp"

namespace eventstore::pg {

struct CompositeArray {
  int count;
  Datum* elements;
  bool* element_is_null;
  int field_count;
  const char* wrong_type_message;  // 42804 when a row has another number of fields
  TupleDesc descriptor;            // nullptr until the first element is read
};

void open_composite_array(CompositeArray* array, ArrayType* value, int field_count, const char* wrong_type_message);

// Splits element `index` (not NULL) into `values` and `is_null`, field_count of each.
void read_composite_element(CompositeArray* array, int index, Datum* values, bool* is_null);

void close_composite_array(CompositeArray* array);

}  // namespace eventstore::pg
