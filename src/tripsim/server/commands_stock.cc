// tripsimd's catalog and inventory subcommands: imports validated whole and applied at once,
// progress on stderr.
#include <boost/json.hpp>
#include <iostream>

#include "tripsim/base/clock.h"
#include "tripsim/catalog/catalog.h"
#include "tripsim/catalog/inventory_file.h"
#include "tripsim/server/command_line.h"

namespace tripsim::server {
namespace {

// catalog import | list.
void AddCatalog(CLI::App& app, Commands& out) {
  struct Flags {
    CommonFlags common;
    std::string file;
    bool replace = false;
  };
  auto f = std::make_shared<Flags>();
  auto* cat = app.add_subcommand("catalog", "manage the package catalog");
  cat->require_subcommand(1);
  auto* import = cat->add_subcommand("import", "import a catalog file (JSON or CSV), atomically");
  f->common.AddTo(import);
  import->add_option("file", f->file, "catalog file (.json or .csv)")->required();
  import->add_flag("--replace", f->replace, "retire packages missing from the file");
  out.push_back(
      {import, [f] {
         return WithStore(
             f->common, false, [&](store::Store& s, const std::string&) -> Result<std::string> {
               TRIPSIM_ASSIGN_OR_RETURN(text, ReadFileText(f->file));
               const bool csv = f->file.size() > 4 && f->file.substr(f->file.size() - 4) == ".csv";
               std::cerr << "catalog: validating " << f->file << "\n";
               TRIPSIM_ASSIGN_OR_RETURN(
                   packages, catalog::ParseCatalogFile(
                                 text, csv ? catalog::Format::kCsv : catalog::Format::kJson));
               std::cerr << "catalog: importing " << packages.size() << " packages\n";
               TRIPSIM_RETURN_IF_ERROR(s.UpsertPackages(packages, f->replace));
               return boost::json::serialize(
                   boost::json::object{{"imported", packages.size()}, {"replace", f->replace}});
             });
       }});

  auto* list = cat->add_subcommand("list", "print the catalog as JSON");
  f->common.AddTo(list);
  out.push_back({list, [f] {
                   return WithStore(f->common, false,
                                    [](store::Store& s, const std::string&) -> Result<std::string> {
                                      TRIPSIM_ASSIGN_OR_RETURN(packages, s.ListPackages());
                                      boost::json::array listed;
                                      for (const auto& p : packages) {
                                        listed.emplace_back(boost::json::object{
                                            {"id", p.id},
                                            {"name", p.name},
                                            {"data", domain::FormatDataSize(p.data_mb)},
                                            {"validity_days", p.validity_days},
                                            {"cost", domain::FormatMoney(p.cost)},
                                            {"retired", p.retired}});
                                      }
                                      return boost::json::serialize(listed);
                                    });
                 }});
}

// inventory import | status.
void AddInventory(CLI::App& app, Commands& out) {
  struct Flags {
    CommonFlags common;
    std::string file;
  };
  auto f = std::make_shared<Flags>();
  auto* inventory = app.add_subcommand("inventory", "the eSIM profile inventory");
  inventory->require_subcommand(1);
  auto* import = inventory->add_subcommand("import", "import eSIM profiles (CSV), atomically");
  f->common.AddTo(import);
  import
      ->add_option("file", f->file,
                   "CSV: iccid,smdp_address,matching_id,confirmation_code,provider")
      ->required();
  out.push_back(
      {import, [f] {
         return WithStore(
             f->common, false, [&](store::Store& s, const std::string&) -> Result<std::string> {
               TRIPSIM_ASSIGN_OR_RETURN(text, ReadFileText(f->file));
               std::cerr << "inventory: validating " << f->file << "\n";
               TRIPSIM_ASSIGN_OR_RETURN(profiles, catalog::ParseInventoryCsv(text));
               std::cerr << "inventory: importing " << profiles.size() << " profiles\n";
               TRIPSIM_RETURN_IF_ERROR(s.ImportInventory(profiles, SystemClock().NowMillis()));
               return boost::json::serialize(boost::json::object{{"imported", profiles.size()}});
             });
       }});

  auto* status = inventory->add_subcommand("status", "stock per provider");
  f->common.AddTo(status);
  out.push_back({status, [f] {
                   return WithStore(
                       f->common, false,
                       [](store::Store& s, const std::string&) -> Result<std::string> {
                         TRIPSIM_ASSIGN_OR_RETURN(stock, s.InventoryStatus());
                         boost::json::array listed;
                         for (const auto& p : stock) {
                           listed.emplace_back(boost::json::object{{"provider", p.provider},
                                                                   {"available", p.available},
                                                                   {"assigned", p.assigned}});
                         }
                         return boost::json::serialize(listed);
                       });
                 }});
}

}  // namespace

void AddStockCommands(CLI::App& app, Commands& out) {
  AddCatalog(app, out);
  AddInventory(app, out);
}

}  // namespace tripsim::server
